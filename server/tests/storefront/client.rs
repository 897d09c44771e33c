//! A tiny storefront API client for tests: one bearer token, JSON in and out.

use crate::common::TestServer;
use serde_json::{json, Value};

pub struct Shop<'a> {
    pub srv: &'a TestServer,
    pub token: &'a str,
    pub http: reqwest::Client,
}

impl<'a> Shop<'a> {
    pub fn new(srv: &'a TestServer, token: &'a str) -> Self {
        Shop {
            srv,
            token,
            http: reqwest::Client::new(),
        }
    }

    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(self.srv.url(path))
            .bearer_auth(self.token)
            .send()
            .await
            .expect("GET")
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Value,
    ) -> reqwest::Response {
        self.http
            .request(method, self.srv.url(path))
            .bearer_auth(self.token)
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// All of the tenant's products (first page of 100).
    pub async fn products(&self) -> Vec<Value> {
        let page: Value = self
            .get("/api/v1/products?limit=100")
            .await
            .json()
            .await
            .expect("json");
        page["products"].as_array().cloned().unwrap_or_default()
    }

    /// The id of the product with this SKU.
    pub async fn product_id(&self, sku: &str) -> String {
        self.products()
            .await
            .into_iter()
            .find(|p| p["sku"] == sku)
            .and_then(|p| p["id"].as_str().map(String::from))
            .unwrap_or_else(|| panic!("no product {sku}"))
    }

    pub async fn new_cart(&self) -> String {
        let res = self
            .send(reqwest::Method::POST, "/api/v1/carts", json!({}))
            .await;
        assert_eq!(res.status(), 201);
        let cart: Value = res.json().await.expect("cart");
        cart["id"].as_str().expect("id").to_string()
    }

    pub async fn set_item(&self, cart: &str, product: &str, quantity: i64) -> reqwest::Response {
        self.send(
            reqwest::Method::PUT,
            &format!("/api/v1/carts/{cart}/items"),
            json!({ "product_id": product, "quantity": quantity }),
        )
        .await
    }

    pub async fn checkout(&self, cart: &str, body: Value, key: Option<&str>) -> reqwest::Response {
        let mut req = self
            .http
            .post(self.srv.url(&format!("/api/v1/carts/{cart}/checkout")))
            .bearer_auth(self.token)
            .json(&body);
        if let Some(key) = key {
            req = req.header("Idempotency-Key", key);
        }
        req.send().await.expect("checkout")
    }

    /// Creates a product (the token must be an admin's) and returns its id.
    pub async fn create_product(&self, sku: &str, price_cents: i64, stock: i64) -> String {
        let res = self
            .send(
                reqwest::Method::POST,
                "/api/v1/products",
                json!({ "sku": sku, "name": format!("Test {sku}"), "category": "Test",
                        "price_cents": price_cents, "stock": stock }),
            )
            .await;
        assert_eq!(res.status(), 201, "create product");
        let p: Value = res.json().await.expect("product");
        p["id"].as_str().expect("id").to_string()
    }

    pub async fn stock(&self, product: &str) -> i64 {
        let p: Value = self
            .get(&format!("/api/v1/products/{product}"))
            .await
            .json()
            .await
            .expect("json");
        p["stock"].as_i64().expect("stock")
    }
}
